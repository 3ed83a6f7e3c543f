export { readLocalConfig, type LocalConfig } from "./local-config.ts";
export { type LocalService, startLocalService } from "./local-service.ts";
