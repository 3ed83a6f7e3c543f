import { javaProblem, startDynamoDbLocal } from "@bulletin/emulators";

/**
 * vitest's globalSetup: one DynamoDB Local (in memory) for the whole run, instead of a JVM per test
 * file (each costs seconds to start and some 200 MB). Every test table and every local service of
 * the run reaches it through LOCAL_DYNAMODB_URL, inherited by the workers and by the services the
 * tests spawn, each with an access key of its own, which DynamoDB Local keeps as a database apart.
 * Without Java 17 the run stops here, with one line saying what to install.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const problem = javaProblem();
  if (problem) throw new Error(problem);
  const dynamo = await startDynamoDbLocal({ port: 0 });
  process.env.LOCAL_DYNAMODB_URL = dynamo.url;
  return () => dynamo.stop();
}
