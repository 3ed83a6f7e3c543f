import type { Clock, IssueRepo, RecipientRepo, Renderer, TokenRepo } from "@bulletin/core";

/** Everything the API needs from the outside world: ports, not SDKs. The wiring files build it. */
export interface ApiDeps {
  issues: IssueRepo;
  recipients: RecipientRepo;
  tokens: TokenRepo;
  renderer: Renderer;
  clock: Clock;
  /** Base of links in emails and previews. */
  publicUrl: string;
  /** True once the database, SES and the queues answer; /healthz reports it. */
  ready(): Promise<boolean>;
  newId(): string;
}
