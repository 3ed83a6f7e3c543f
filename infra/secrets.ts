// Secrets live encrypted in SST's state for each stage, set with
// `npx sst secret set <Name> <value> --stage <stage>`. None has a placeholder: a deploy fails until
// each one is set, rather than running with a guessable default. Linked functions read them as
// Resource.<Name>.value (SST bundles them encrypted; no IAM permission is involved).

/** The HMAC key of the signed unsubscribe links. Changing it invalidates every link already mailed. */
export const unsubscribeKey = new sst.Secret("UnsubscribeKey");

/** The HMAC key of dashboard sessions (32+ characters). Changing it signs everyone out. */
export const sessionKey = new sst.Secret("SessionKey");

/** The bootstrap admin token: registered (as a hash) on the api's first use, to sign in and mint others. */
export const adminToken = new sst.Secret("AdminToken");
