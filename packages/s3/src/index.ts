export { S3FileStore } from "./s3-file-store.ts";
