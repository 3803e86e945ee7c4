/** One log line of one container, from Loki or from the Kubernetes log API. */
export interface LogEntry {
  namespace: string;
  pod: string;
  container: string;
  /** When the line was written (millisecond precision; `tsNs` keeps the full value). */
  time: Date;
  /** Unix nanoseconds as a decimal string (Loki's timestamp, or the kubelet's RFC 3339 one). */
  tsNs: string;
  /** The line, without its line break. */
  line: string;
  /** The stream's labels (Loki), or `namespace`/`pod`/`container` (pod logs). */
  labels: Readonly<Record<string, string>>;
}

/** Where a log source hands its lines: in time order per container, each line once. */
export type LogSink = (namespace: string, entries: LogEntry[]) => Promise<void> | void;

/** The logger the log sources use (pino's is one). */
export interface LogLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}
