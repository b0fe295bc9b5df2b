/** The CloudFront Functions runtime 2.0 `cloudfront` module, as far as the viewer-request function uses it. */
declare module 'cloudfront' {
  interface KeyValueStoreHandle {
    /** Resolves to the value; rejects when the key does not exist. */
    get(key: string, options?: { format: 'string' }): Promise<string>;
    exists(key: string): Promise<boolean>;
  }
  const cf: { kvs(id?: string): KeyValueStoreHandle; selectRequestOriginById(originId: string): void };
  export default cf;
}
