// The AWS resources, one file per concern, imported by sst.config.ts. They arrive with the issues
// that need them: storage (DynamoDB), email (SES), queue (SQS), api (Hono on Lambda), events (SNS),
// cron and secrets. Nothing is deployed yet: the service runs locally first.
export {};
