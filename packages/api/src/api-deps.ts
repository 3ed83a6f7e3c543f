import type {
  ApplyEventResult,
  Clock,
  CopyLedger,
  DeliveryEvents,
  DeliveryLedger,
  DomainGroup,
  FileStore,
  IssueRepo,
  PdfReader,
  RecipientRepo,
  Renderer,
  SenderSetup,
  SendQueue,
  SendRepo,
  SesEvent,
  SettingsRepo,
  SuppressionRepo,
  TokenRepo,
} from "@bulletin/core";

/** Everything the API needs from the outside world: ports, not SDKs. The wiring files build it. */
export interface ApiDeps {
  issues: IssueRepo;
  /** Files kept with issues (the original PDF) and uploads on their way in. */
  files: FileStore;
  /** Reads a bulletin PDF's layout for the importer. */
  pdf: PdfReader;
  recipients: RecipientRepo;
  tokens: TokenRepo;
  /** The association's settings (the 设置 page, GET/PUT /api/settings). */
  settings: SettingsRepo;
  /** Renders with the stored settings; `forget` (when there) drops what it cached after a change. */
  renderer: Renderer & { forget?(): void };
  sends: SendRepo;
  /** The ledger, with the SES-event side (engagement counts) beside it. */
  deliveries: DeliveryLedger & Pick<DeliveryEvents, "engagement">;
  copies: CopyLedger;
  queue: SendQueue;
  /**
   * Starts dispatching a send without waiting for the dispatch itself (locally in-process; on AWS an
   * asynchronous invocation of the dispatcher, which must be awaited before the response is sent:
   * Lambda freezes whatever is still running after it).
   */
  dispatch(sendId: string): Promise<void> | void;
  clock: Clock;
  /** Base of links in emails and previews. */
  publicUrl: string;
  /** The HMAC key of unsubscribe links, and the mailbox offered as the other way to leave. */
  unsubscribeKey: string;
  /** The HMAC key of dashboard session cookies and their CSRF tokens (at least 32 characters). */
  sessionKey: string;
  unsubscribeMailto: string;
  /** Applies one SES event: delivery status, counters, suppression (core's applySesEvent, wired). */
  applyEvent(event: SesEvent): Promise<ApplyEventResult>;
  /** The suppression list: every send (and the dry run) skips it; admins list and lift entries. */
  suppressions: SuppressionRepo;
  /**
   * Who sends, for the pre-send checks: the From address, its domain's DKIM (SES GetEmailIdentity
   * on AWS, a fixed "local" answer locally), and whether this is the local stack.
   */
  sender: SenderSetup;
  /** The per-domain limits (DOMAIN_RATES): the send page shows who waits for which group. */
  domainGroups?: readonly DomainGroup[];
  /** True once the database, SES and the queues answer; /healthz reports it. */
  ready(): Promise<boolean>;
  newId(): string;
}
