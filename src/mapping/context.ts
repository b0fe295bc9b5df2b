/** What mapping needs from the config beyond the feed itself; its own module so the document and the entity mappers share it without importing each other. */
export interface MapperContext {
  locale: string;
  currency: string;
  customerNoPattern: string;
}
