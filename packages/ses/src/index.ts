// Public surface of @bulletin/ses: the Mailer port on Amazon SES v2.
export { SesMailer, type SesMailerOptions } from "./ses-mailer.ts";
export { classifyBulkStatus, classifySesError } from "./classify-ses-error.ts";
export { toSendEmailInput } from "./send-email-input.ts";
export { templateSource, toSendBulkEmailInput } from "./send-bulk-email-input.ts";
export { decodeTagValue, encodeTagValue, toEmailTags } from "./message-tags.ts";
export { simulatedOutcome, simulateSesEvents, SIMULATOR_DOMAIN, type SimulatedOutcome } from "./mailbox-simulator.ts";
export { dkimStateOf, dkimStateOfError, SesSenderIdentity } from "./ses-sender-identity.ts";
