/**
 * DynamoDB's capacity arithmetic for on-demand tables, from its documented rules:
 * item sizes https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html,
 * reads and writes https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html,
 * index writes https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.ThroughputConsiderations.
 */

/** An attribute value as DynamoDB's wire protocol writes it. */
export type AttributeValueJson = {
  readonly S?: string;
  readonly N?: string;
  readonly B?: string;
  readonly SS?: readonly string[];
  readonly NS?: readonly string[];
  readonly BS?: readonly string[];
  readonly M?: ItemJson;
  readonly L?: readonly AttributeValueJson[];
  readonly NULL?: boolean;
  readonly BOOL?: boolean;
};

/** An item as DynamoDB's wire protocol writes it. */
export type ItemJson = Readonly<Record<string, AttributeValueJson>>;

/** A global secondary index as DescribeTable describes it. */
export interface IndexShape {
  readonly name: string;
  readonly keys: readonly string[];
  readonly projection: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
  readonly nonKeyAttributes?: readonly string[];
}

const WRITE_UNIT_BYTES = 1024;
const READ_UNIT_BYTES = 4096;

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');

/** A number's size: about one byte per two significant digits, plus one (leading and trailing zeros do not count). */
function numberSize(text: string): number {
  const digits = text
    .replace(/^[-+]/, '')
    .replace(/e.*$/i, '')
    .replace('.', '')
    .replace(/^0+/, '')
    .replace(/0+$/, '');
  return digits.length === 0 ? 1 : Math.ceil(digits.length / 2) + 1;
}

/** Bytes one attribute value takes in an item. */
export function attributeValueSize(value: AttributeValueJson): number {
  if (value.S !== undefined) return utf8(value.S);
  if (value.N !== undefined) return numberSize(value.N);
  if (value.B !== undefined) return Buffer.from(value.B, 'base64').length;
  if (value.SS) return value.SS.reduce((sum, s) => sum + utf8(s), 0);
  if (value.NS) return value.NS.reduce((sum, n) => sum + numberSize(n), 0);
  if (value.BS) return value.BS.reduce((sum, b) => sum + Buffer.from(b, 'base64').length, 0);
  // Lists and maps: 3 bytes, plus 1 byte per element, plus the elements (and a map's key names).
  if (value.L) return 3 + value.L.reduce((sum, v) => sum + 1 + attributeValueSize(v), 0);
  if (value.M) return 3 + Object.keys(value.M).length + itemSize(value.M);
  return 1;
}

/** Bytes an item takes: every attribute's name (UTF-8) and value. */
export function itemSize(item: ItemJson): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + utf8(name) + attributeValueSize(value), 0);
}

/** Write units of one standard write: the larger of the item before and after, per started 1 KB, at least 1. */
export function writeUnits(before: ItemJson | undefined, after: ItemJson | undefined): number {
  const size = Math.max(before ? itemSize(before) : 0, after ? itemSize(after) : 0);
  return Math.max(1, Math.ceil(size / WRITE_UNIT_BYTES));
}

/**
 * Write units of a write whose condition failed: DynamoDB still consumes write capacity, by the size of
 * the existing item (at least 1); the indexes are not written.
 */
export function failedConditionUnits(existing: ItemJson | undefined): number {
  return writeUnits(existing, undefined);
}

/** Read units of `bytes` read at once (an item, or a Query or Scan page): per started 4 KB, half when eventually consistent. */
export function readUnits(bytes: number, consistent: boolean): number {
  const units = Math.max(1, Math.ceil(bytes / READ_UNIT_BYTES));
  return consistent ? units : units / 2;
}

/** The index entry an item has in an index (its projected attributes), or undefined when it lacks a key of the index. */
export function indexEntry(
  item: ItemJson | undefined,
  index: IndexShape,
  tableKeys: readonly string[],
): ItemJson | undefined {
  if (!item || index.keys.some((key) => item[key] === undefined)) return undefined;
  if (index.projection === 'ALL') return item;
  const names = new Set([
    ...tableKeys,
    ...index.keys,
    ...(index.projection === 'INCLUDE' ? (index.nonKeyAttributes ?? []) : []),
  ]);
  return Object.fromEntries(Object.entries(item).filter(([name]) => names.has(name)));
}

const sameValue = (a: AttributeValueJson | undefined, b: AttributeValueJson | undefined) =>
  JSON.stringify(a) === JSON.stringify(b);

const sameEntry = (a: ItemJson, b: ItemJson) =>
  Object.keys(a).length === Object.keys(b).length &&
  Object.keys(a).every((name) => sameValue(a[name], b[name]));

/**
 * Write units a table write costs one index: a new entry is one put, a removed entry one delete, a changed
 * index key a delete and a put, a changed projection one put; an entry the write leaves alone costs nothing.
 */
export function indexWriteUnits(
  before: ItemJson | undefined,
  after: ItemJson | undefined,
  index: IndexShape,
  tableKeys: readonly string[],
): number {
  const old = indexEntry(before, index, tableKeys);
  const next = indexEntry(after, index, tableKeys);
  const units = (entry: ItemJson) => writeUnits(entry, undefined);
  if (!old && !next) return 0;
  if (!old) return units(next as ItemJson);
  if (!next) return units(old);
  if (index.keys.some((key) => !sameValue(old[key], next[key]))) return units(old) + units(next);
  return sameEntry(old, next) ? 0 : units(next);
}
