/** Where published objects go. Keys are relative to the configured prefix. */
export interface PutOptions {
  contentType: string;
  sha256: string;
}

export interface Target {
  /** For logs: never includes credentials. */
  readonly description: string;
  /** Health check: fails fast when the target cannot be written. */
  check(): Promise<void>;
  put(key: string, body: Buffer, opts: PutOptions): Promise<void>;
  delete(keys: string[]): Promise<void>;
}
