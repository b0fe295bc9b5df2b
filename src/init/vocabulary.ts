/**
 * Column names of common ERPs (Swedish and English: Visma, Pyramid, Monitor, Fortnox, Business
 * Central/NAV, generic exports) per canonical field, and the matching of a source name against them.
 *
 * Names are compared in a normal form: lower case, diacritics off (å → a, ø → o), `%` → "pct",
 * everything else that is not a letter or digit → one space. "Sell-to Customer No." → "sell to
 * customer no", "À-pris" → "a pris", "Moms %" → "moms pct", "Fakt.adress" → "fakt adress". A name
 * matches a synonym when the normal forms are equal, with or without the spaces.
 */

export type DocClass = 'order' | 'invoice' | 'credit' | 'shipment' | 'deletion';
export type Scope = 'header' | 'line';

export function normalizeName(name: string): string {
  return name
    .replace(/[øØ]/g, 'o')
    .replace(/[æÆ]/g, 'ae')
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/%/g, ' pct ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const compact = (s: string) => s.replace(/ /g, '');

export interface Entry {
  field: string;
  names: string[];
  /** Only for these document classes (default: all). */
  only?: DocClass[];
  /** Weaker evidence: used when nothing better claims the column. */
  weak?: boolean;
}

/** Header fields that are not part of an address. */
const HEADER: Entry[] = [
  { field: 'id', names: ['Ordernr', 'Ordernummer', 'OrderNo', 'Order No.', 'Order Number', 'OrderId', 'Order ID', 'Order'], only: ['order'] },
  { field: 'id', names: ['Fakturanr', 'Fakturanummer', 'InvoiceNo', 'Invoice No.', 'Invoice Number', 'InvoiceId', 'Invoice ID', 'Faktura'], only: ['invoice', 'credit'] },
  { field: 'id', names: ['Kreditfakturanr', 'Kreditnr', 'Kreditnota', 'Credit Memo No.', 'Credit Note No.', 'CreditNoteNo', 'Credit No.'], only: ['credit'] },
  { field: 'id', names: ['No.', 'No', 'Nr', 'Number', 'Nummer', 'Id', 'Document No.', 'DocumentNo', 'Dokumentnr', 'Doc No.', 'Verifikationsnr'] },
  { field: 'customer_no', names: ['Kundnr', 'Kundnummer', 'Kund-nr', 'KundId', 'Kund id', 'CustomerNo', 'Customer No.', 'Customer Number', 'CustomerId', 'Customer ID', 'CustNo', 'Cust No.', 'Sell-to Customer No.', 'Bill-to Customer No.', 'Debitor', 'Debitornr', 'Account', 'Account No.', 'Kund'] },
  { field: 'date', names: ['Orderdatum', 'Order Date', 'OrderDate', 'Orderdag', 'Beställningsdatum'], only: ['order'] },
  { field: 'date', names: ['Fakturadatum', 'Invoice Date', 'InvoiceDate', 'Kreditdatum', 'Posting Date', 'Bokföringsdatum', 'Bokfdatum'], only: ['invoice', 'credit'] },
  { field: 'date', names: ['Datum', 'Date', 'Document Date', 'Dokumentdatum', 'Registreringsdatum', 'Created', 'Skapad'] },
  { field: 'date', names: ['Posting Date', 'Bokföringsdatum'], weak: true },
  { field: 'due_date', names: ['Förfallodatum', 'Forfallodatum', 'Förfallodag', 'Förfaller', 'Due Date', 'DueDate', 'Payment Due', 'Payment Due Date', 'Betalningsdag', 'Sista betalningsdag'], only: ['invoice', 'credit'] },
  { field: 'payment_status', names: ['Status', 'Betalstatus', 'Betalningsstatus', 'Payment Status', 'PaymentStatus', 'Betald', 'Paid', 'Closed', 'Settled', 'Slutbetald'], only: ['invoice', 'credit'] },
  { field: 'reference', names: ['Er referens', 'Er ref', 'Er ref.', 'ErReferens', 'ErRef', 'Your Reference', 'YourReference', 'Your Ref', 'Referens', 'Reference', 'Ref', 'Kundreferens', 'Customer Reference', 'Beställare', 'Buyer'] },
  { field: 'po_number', names: ['Godsmärke', 'Godsmarkning', 'PO Number', 'PONumber', 'PO No.', 'PO', 'Purchase Order', 'Purchase Order No.', 'External Document No.', 'Ert ordernr', 'ErtOrdernr', 'Kundordernr', 'Customer Order No.', 'Your Order No.', 'Inköpsordernr', 'Rekvisition', 'Rekvisitionsnr', 'Märkning'] },
  { field: 'comment', names: ['Kommentar', 'Kommentarer', 'Comment', 'Comments', 'Anteckning', 'Notering', 'Note', 'Notes', 'Meddelande', 'Message', 'Remark', 'Remarks', 'Övrigt', 'Work Description', 'Fritext'] },
  { field: 'currency', names: ['Valuta', 'Valutakod', 'Currency', 'Currency Code', 'CurrencyCode', 'Cur', 'Curr'] },
  { field: 'total', names: ['Summa', 'Total', 'Totalt', 'Totalbelopp', 'Total Amount', 'Summa inkl moms', 'Belopp inkl moms', 'Totalt inkl moms', 'Att betala', 'Amount Including VAT', 'Amount Incl. VAT', 'Total incl VAT', 'Total Including VAT', 'Grand Total', 'Fakturabelopp', 'Ordersumma', 'Orderbelopp', 'Ordervärde', 'Totalsumma', 'Summa att betala', 'Total att betala', 'Brutto', 'Bruttobelopp', 'Total inkl moms', 'TotalInclVat', 'Total Amount Incl. VAT', 'Order Total', 'Invoice Total', 'Belopp'] },
  { field: 'shipping_cost', names: ['Frakt', 'Fraktkostnad', 'Fraktavgift', 'Frakt exkl moms', 'Shipping', 'Shipping Cost', 'ShippingCost', 'Freight', 'Freight Cost', 'Leveranskostnad', 'Porto'] },
  { field: 'order_no', names: ['Ordernr', 'Ordernummer', 'OrderNo', 'Order No.', 'Order Number', 'Order'], only: ['invoice', 'credit'] },
  { field: 'tracking_id', names: ['Kolli-id', 'Kolliid', 'Kollinr', 'Kollinummer', 'Sändningsnr', 'Sändningsnummer', 'Spårningsnummer', 'Spårnr', 'Tracking No.', 'Tracking Number', 'TrackingNumber', 'Tracking Id', 'TrackingId', 'Package Tracking No.', 'Shipment Tracking'] },
  // Invoices too: an invoice feed whose `credit` marker tells credits apart carries it on its credits.
  { field: 'credited_invoice', names: ['Applies-to Doc. No.', 'Krediterar', 'Krediterad faktura', 'Krediterat fakturanr', 'Avser faktura', 'Original Invoice No.', 'Credited Invoice', 'Credited Invoice No.', 'Credits', 'CreditsInvoice', 'Kreditfaktura för', 'Ursprungsfaktura'], only: ['invoice', 'credit'] },
  // The document's own status (Released, Levererad); an invoice's `Status` is its payment status (above).
  { field: 'status', names: ['Status', 'Orderstatus', 'Order Status', 'OrderStatus', 'Ordertillstånd'], only: ['order'] },
  { field: 'status', names: ['Document Status', 'DocumentStatus', 'Dokumentstatus', 'Fakturastatus', 'Invoice Status'] },
  { field: 'carrier', names: ['Speditör', 'Speditor', 'Transportör', 'Transportor', 'Fraktbolag', 'Carrier', 'Carrier Code', 'Shipping Agent', 'Shipping Agent Code', 'Leveranssätt'] },
  { field: 'customer.company', names: ['Kundnamn', 'Kund namn', 'Customer Name', 'CustomerName', 'Företag', 'Företagsnamn', 'Company', 'Company Name', 'Firma', 'Sell-to Customer Name', 'Bill-to Name'] },
];

/** Address parts, for the customer (billing) and delivery address: matched after a group prefix. */
export const ADDRESS: Entry[] = [
  { field: 'company', names: ['Namn', 'Name', 'Företag', 'Company', 'Customer Name', 'Firma', 'Kundnamn'] },
  { field: 'reference', names: ['Referens', 'Reference', 'Ref', 'Kontakt', 'Kontaktperson', 'Contact', 'Attention', 'Att', 'Att.'] },
  { field: 'address', names: ['Adress', 'Address', 'Adress1', 'Adress 1', 'Address 1', 'Address Line 1', 'Gatuadress', 'Gata', 'Street', 'Street Address', 'Utdelningsadress'] },
  { field: 'address2', names: ['Adress2', 'Adress 2', 'Address 2', 'Address2', 'Address Line 2', 'Co', 'C/O', 'Co-adress', 'Box'] },
  { field: 'zipcode', names: ['Postnr', 'Postnummer', 'Post nr', 'Zip', 'Zipcode', 'Zip Code', 'Postcode', 'Post Code', 'Postal Code', 'PostalCode', 'Pnr'] },
  { field: 'ziparea', names: ['Ort', 'Postort', 'Post ort', 'City', 'Stad', 'Town'] },
  { field: 'country', names: ['Land', 'Landskod', 'Country', 'Country Code', 'CountryCode', 'Country/Region Code', 'Country/Region', 'Country ISO'] },
];

/** Leading words (or parent elements) that say which address a column belongs to. */
const GROUPS: Record<'customer' | 'delivery', string[]> = {
  customer: ['Fakt', 'Faktura', 'Fakturering', 'Fakturerings', 'Kund', 'Customer', 'Cust', 'Bill', 'Bill-to', 'Billing', 'Sell-to', 'Sell-to Customer', 'Invoice', 'Köpare', 'Buyer'],
  delivery: ['Lev', 'Leverans', 'Levadress', 'Leveransadress', 'Delivery', 'Deliv', 'Ship', 'Ship-to', 'Shipping', 'Shipto', 'Mottagare', 'Consignee', 'Recipient'],
};

const LINE: Entry[] = [
  { field: 'line.no', names: ['Radnr', 'Radnummer', 'Rad', 'Line No.', 'LineNo', 'Line Number', 'Line', 'Pos', 'Position', 'Row', 'Row No.', '@nr', '@no', '@line', 'Nr'] },
  { field: 'line.model', names: ['Artikelnr', 'Artnr', 'Art.nr', 'Artikelnummer', 'Art', 'Artikel', 'Artikelkod', 'Varunr', 'Varunummer', 'SKU', 'Item No.', 'ItemNo', 'Item Number', 'Item', 'Product No.', 'ProductNo', 'Product Number', 'Produktnr', 'Model', 'Article', 'No.'] },
  { field: 'line.name', names: ['Benämning', 'Benamning', 'Beskrivning', 'Description', 'Artikelnamn', 'Artikeltext', 'Produktnamn', 'Product Name', 'ProductName', 'Item Name', 'Varubenämning', 'Text', 'Name', 'Namn'] },
  { field: 'line.quantity', names: ['Antal', 'Kvantitet', 'Quantity', 'Qty', 'Beställt', 'Antal beställt', 'Ordered Quantity', 'Quantity Ordered'] },
  { field: 'line.price', names: ['À-pris', 'A-pris', 'Apris', 'Pris', 'Price', 'Unit Price', 'UnitPrice', 'Unit Price Excl. VAT', 'Styckpris', 'Enhetspris', 'Pris exkl moms'] },
  { field: 'line.discount', names: ['Rabatt', 'Rabatt %', 'Rabattprocent', 'Rabatt pct', 'Discount', 'Discount %', 'Line Discount %', 'Disc %'] },
  { field: 'line.row_total', names: ['Radbelopp', 'Radsumma', 'Radtotal', 'Radvärde', 'Nettobelopp rad', 'Belopp', 'Line Amount', 'LineAmount', 'Row Total', 'Amount', 'Nettobelopp', 'Net Amount', 'Summa'] },
  { field: 'line.vat_rate', names: ['Moms', 'Moms %', 'Momssats', 'Momsprocent', 'VAT', 'VAT %', 'VAT Rate', 'VatRate', 'Tax %', 'Tax Rate', 'Skattesats'] },
  { field: 'line.delivered', names: ['Levererat', 'Levererat antal', 'Utlevererat', 'Delivered', 'Quantity Shipped', 'Qty Shipped', 'Shipped'] },
  { field: 'line.remaining', names: ['Restnoterat', 'Rest', 'Restantal', 'Restorder', 'Outstanding Quantity', 'Remaining', 'Remaining Quantity', 'Qty Remaining', 'Backorder', 'Back Order'] },
  { field: 'line.order_no', names: ['Order No.', 'OrderNo', 'Order Number', 'Ordernr', 'Ordernummer'], only: ['invoice', 'credit'] },
  { field: 'line.delivery_date', names: ['Beräknad leverans', 'Beräknat leveransdatum', 'Leveransdatum', 'Lev.datum', 'ExpectedDate', 'Expected Date', 'Bekräftat leveransdatum', 'Confirmed Delivery Date', 'Requested Delivery Date', 'Önskat leveransdatum', 'Planned Delivery Date', 'Delivery Date', 'Expected Delivery', 'Expected Delivery Date', 'Promised Delivery Date', 'Utlovad leverans'] },
];

/** The leaf of a nested path that is the number of its element (`Customer/@No`, `OrderRef/@No`). */
const ID_LEAF = ['No', 'No.', 'Nr', 'Id', 'Number', 'Nummer', 'Code', 'Kod'];
const CUSTOMER_NO_LEAF = ['Kundnr', 'Kundnummer', 'CustomerNo', 'Customer No.', 'CustomerId', 'CustNo', 'Debitornr'];
/** Elements that name an order from inside another document (`<OrderRef No=…>`). */
const ORDER_ELEMENTS = ['OrderRef', 'OrderReference', 'Order', 'Orders', 'Orderref', 'Orderreferens', 'Order No.', 'Ordrar', 'SalesOrder', 'Kundorder'];
/** Elements that name the invoice a credit invoice credits (`<CreditedInvoice No=…>`). */
const CREDITED_ELEMENTS = ['CreditedInvoice', 'Credits', 'InvoiceRef', 'InvoiceReference', 'OriginalInvoice', 'AppliesTo', 'Krediterar', 'KrediteradFaktura', 'Ursprungsfaktura', 'Fakturareferens'];
/** Elements of one package each (`<Packages><Package id=… carrier=…>`). */
const PACKAGE_ELEMENTS = ['Package', 'Packages', 'Parcel', 'Parcels', 'Kolli', 'Kollin', 'Shipment', 'Shipments', 'Sändning', 'Sändningar', 'Försändelse', 'Försändelser', 'Consignment', 'Tracking'];
const TRACKING_LEAF = ['Tracking', 'TrackingNo', 'Tracking No.', 'TrackingNumber', 'TrackingId', 'Kollinr', 'Kolli-id', 'Sändningsnr', 'Spårnr', 'Barcode', 'SSCC'];
const CARRIER_LEAF = ['Carrier', 'CarrierCode', 'Speditör', 'Transportör', 'Fraktbolag', 'Shipping Agent', 'Agent'];

/** Line feeds name their document in these columns. */
const LINE_ID: Entry[] = [
  { field: 'id', names: ['Document No.', 'DocumentNo', 'Dokumentnr', 'Doc No.'] },
  { field: 'id', names: ['Ordernr', 'Ordernummer', 'Order No.', 'OrderNo', 'Order Number'], only: ['order'] },
  { field: 'id', names: ['Fakturanr', 'Fakturanummer', 'Invoice No.', 'InvoiceNo', 'Invoice Number'], only: ['invoice', 'credit'] },
  { field: 'id', names: ['Kreditfakturanr', 'Credit Memo No.', 'Credit Note No.'], only: ['credit'] },
];

export function matches(name: string, synonyms: readonly string[]): boolean {
  const n = normalizeName(name);
  const c = compact(n);
  const attribute = name.trim().startsWith('@');
  return synonyms.some((s) => {
    // `@nr` stands for an XML attribute: it never matches a column named "No." or "Nr".
    if (s.startsWith('@') && !attribute) return false;
    const m = normalizeName(s);
    return m === n || compact(m) === c;
  });
}

export interface Candidate {
  field: string;
  score: number;
  why: string;
}

/** Splits a source name into an address group and the rest: "Lev.postnr" → delivery + "postnr", "Kund/Namn" → customer + "Namn". */
export function addressGroup(name: string, xml = false): { group: 'customer' | 'delivery'; rest: string } | undefined {
  if (xml && name.includes('/')) {
    const parts = name.split('/');
    const rest = parts.pop()!;
    for (const parent of parts.reverse()) {
      for (const [group, words] of Object.entries(GROUPS) as Array<['customer' | 'delivery', string[]]>) {
        if (matches(parent, words)) return { group, rest };
      }
    }
    return undefined;
  }
  const words = normalizeName(name).split(' ');
  for (let k = Math.min(3, words.length - 1); k >= 1; k--) {
    const head = words.slice(0, k).join(' ');
    for (const [group, list] of Object.entries(GROUPS) as Array<['customer' | 'delivery', string[]]>) {
      if (matches(head, list)) return { group, rest: words.slice(k).join(' ') };
    }
  }
  return undefined;
}

/**
 * Every canonical field a source name could be, best first. `scope` is where the name was found (a
 * record's own fields or a line element's); `flat` means one row carries both (flat CSV); `xml`
 * means names are paths relative to the record element.
 */
export function candidates(name: string, cls: DocClass, scope: Scope, opts: { flat?: boolean; lineFeed?: boolean; xml?: boolean } = {}): Candidate[] {
  const out: Candidate[] = [];
  // XML field names are paths (`Kund/Namn`); a CSV column may contain "/" (`Country/Region Code`).
  const nested = !!opts.xml && name.includes('/');
  const leaf = nested ? name.slice(name.lastIndexOf('/') + 1) : name;
  const add = (field: string, score: number, why: string) => out.push({ field, score, why });
  const allowed = (e: Entry) => !e.only || e.only.includes(cls);

  if (opts.lineFeed) {
    for (const e of LINE_ID) if (allowed(e) && matches(name, e.names)) add(e.field, 100, `"${name}" names the document`);
  }
  if (scope === 'header' && !opts.lineFeed) {
    const group = addressGroup(name, opts.xml);
    if (group) {
      for (const e of ADDRESS) {
        if (!matches(group.rest, e.names)) continue;
        add(`${group.group}.${e.field}`, 95, `${group.group === 'customer' ? 'customer/billing' : 'delivery'} address: "${group.rest}"`);
      }
    }
    if (nested) {
      // Numbers kept in attributes (or children) of a child element: `Customer/@No`, `OrderRef/@No`,
      // `Packages/Package/@id`. Which number it is comes from the element it belongs to.
      const parents = name.split('/').slice(0, -1);
      const idLeaf = matches(leaf, ID_LEAF);
      const under = (words: readonly string[]) => parents.some((p) => matches(p, words));
      if (group?.group === 'customer' && (idLeaf || matches(leaf, CUSTOMER_NO_LEAF))) add('customer_no', 95, `the number of <${parents[parents.length - 1]}>: "${leaf}"`);
      if (cls !== 'order' && under(CREDITED_ELEMENTS) && idLeaf) add('credited_invoice', 95, `the number of <${parents[parents.length - 1]}>: the invoice a credit invoice credits`);
      if (cls !== 'order' && under(ORDER_ELEMENTS) && idLeaf) add('order_no', 95, `the number of <${parents[parents.length - 1]}>: the order this document belongs to (every occurrence counts)`);
      if (under(PACKAGE_ELEMENTS)) {
        if (idLeaf || matches(leaf, TRACKING_LEAF)) add('tracking_id', 95, `the id of each <${parents[parents.length - 1]}>: one package per element`);
        if (matches(leaf, CARRIER_LEAF)) add('carrier', 95, `the carrier of each <${parents[parents.length - 1]}>`);
      }
    }
    // Whole names first: a nested path only matches by its leaf when it is not in an address group.
    const target = nested && group ? undefined : nested ? leaf : name;
    if (target !== undefined) {
      for (const e of HEADER) {
        if (allowed(e) && matches(target, e.names)) add(e.field, e.weak ? 40 : nested ? 85 : 100, `"${target}" is a common name for it`);
      }
      // An unprefixed address part: the customer's (billing) address.
      for (const e of ADDRESS) {
        if (e.field === 'company' || e.field === 'reference') continue;
        if (matches(target, e.names)) add(`customer.${e.field}`, 60, `"${target}" without a prefix: taken as the customer's address`);
      }
    }
  }
  if (scope === 'line' || opts.flat || opts.lineFeed) {
    const target = scope === 'line' ? name : leaf;
    for (const e of LINE) {
      if (!allowed(e) || !matches(target, e.names)) continue;
      // In a flat row or a line feed, "No."/"Nr"/"Belopp"/"Summa" are weaker than their header meaning.
      const weakInFlat = (opts.flat && /^(nr|no|belopp|summa|amount|name|namn|text)$/.test(compact(normalizeName(target)))) || (opts.lineFeed && e.field === 'line.model' && compact(normalizeName(target)) === 'no');
      add(e.field, weakInFlat ? 50 : scope === 'line' ? 100 : 90, `"${target}" is a common name for it`);
    }
  }
  // Best first; one entry per field.
  const seen = new Set<string>();
  return out.sort((a, b) => b.score - a.score).filter((c) => (seen.has(c.field) ? false : (seen.add(c.field), true)));
}

const DELETION_NAME = /delet|borttag|raderad|raderingar|removed|tombstone|makuleringar/;
const SHIPMENT_NAME = /shipment|shpt|leverans|kolli|sandning|forsandelse|utleverans|foljesedel|packages?$|packages?[^a-z]|parcel|consignment/;

/** Which kind of document a file holds, from its name, its record element and its column names. */
export function documentClass(fileName: string, recordElement: string | undefined, names: readonly string[]): { cls: DocClass; reason: string } {
  const file = compact(normalizeName(fileName.replace(/\.[^.]+$/, '')));
  const rec0 = compact(normalizeName(recordElement ?? ''));
  const cols = names.map((n) => compact(normalizeName(n.replace(/^.*\//, ''))));
  const has = (re: RegExp) => cols.some((c) => re.test(c));
  // Shipments and deletions first: "SalesShipmentHeader" and "OrderDeletions" name an order table too.
  // A shipment table has tracking or carrier columns and no quantities (a shipment *line* table has).
  const lineLike = has(/^(quantity|qty|antal|kvantitet|lineamount|radbelopp|unitprice|apris|pris)$/);
  if (DELETION_NAME.test(file) || DELETION_NAME.test(rec0)) return { cls: 'deletion', reason: `the ${DELETION_NAME.test(file) ? `file name "${fileName}"` : `record element <${recordElement}>`} says deletions` };
  if (!lineLike && (SHIPMENT_NAME.test(file) || SHIPMENT_NAME.test(rec0))) return { cls: 'shipment', reason: `the ${SHIPMENT_NAME.test(file) ? `file name "${fileName}"` : `record element <${recordElement}>`} says shipments` };
  const tracking = has(/tracking|kolli|sandningsnr|sparnr|sparningsnummer|sscc/);
  const carrier = has(/shippingagent|carrier|speditor|transportor|fraktbolag/);
  const orderRef = has(/^(orderno|ordernr|ordernummer|ordernumber|orderid|salesorderno)$/);
  const customer = has(/customer|kund|debitor|selltocustomer/);
  if (!lineLike && orderRef && (tracking || carrier) && names.length <= 12 && !has(/amount|belopp|summa|total/)) {
    return { cls: 'shipment', reason: 'an order number with tracking/carrier columns and no amounts or quantities: shipments' };
  }
  const table = has(/^(table|tabell|tablename|tableno|tabellnamn)$/);
  if (table && !customer && !lineLike && names.length <= 8) return { cls: 'deletion', reason: 'a table column and a number, nothing else: deleted records' };
  if (/kredit|credit|crmemo|creditnote/.test(file)) return { cls: 'credit', reason: `the file name "${fileName}" says credit` };
  if (/faktur|invoice|inv\d|^inv/.test(file)) return { cls: 'invoice', reason: `the file name "${fileName}" says invoice` };
  if (/order|ordrar|ordr|salesheader|salesline/.test(file)) return { cls: 'order', reason: `the file name "${fileName}" says order` };
  const rec = compact(normalizeName(recordElement ?? ''));
  if (/kredit|credit/.test(rec)) return { cls: 'credit', reason: `the record element <${recordElement}>` };
  if (/faktur|invoice/.test(rec)) return { cls: 'invoice', reason: `the record element <${recordElement}>` };
  if (/order/.test(rec)) return { cls: 'order', reason: `the record element <${recordElement}>` };
  const all = names.map((n) => compact(normalizeName(n))).join(' ');
  if (/forfallo|duedate|fakturadatum|invoicedate|fakturanr|invoiceno/.test(all)) return { cls: 'invoice', reason: 'invoice columns (due date, invoice number)' };
  return { cls: 'order', reason: 'nothing says invoice: orders assumed' };
}
