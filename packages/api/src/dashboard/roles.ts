import { type Role, ROLES } from "@bulletin/core";

/**
 * True when `have` may do what `need` may: core's ROLES run from the most to the least powerful
 * (admin, secretariat, viewer), the same order the API's requireRole ranks them by.
 *
 * @example
 * hasRole("admin", "secretariat"); // true
 * hasRole("viewer", "secretariat"); // false
 */
export function hasRole(have: Role, need: Role): boolean {
  return ROLES.indexOf(have) <= ROLES.indexOf(need);
}
