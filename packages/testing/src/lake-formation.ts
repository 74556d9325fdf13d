/** The Lake Formation LF-tag part of the Glue emulator (restJson1: `POST /<Operation>`). */
import type { DataCatalog } from './glue-data-catalog.js';
import { ApiError, obj, str } from './glue-api.js';

/** LF-tag definitions and the tags on databases, tables and columns; methods named after the operation. */
export class LakeFormation {
  /** The operations served. */
  static readonly OPERATIONS = ['CreateLFTag', 'AddLFTagsToResource', 'GetResourceLFTags'] as const;

  /** Tags per resource (`<db>/`, `<db>/<table>`, `<db>/<table>/<column>`): key → values. */
  private readonly lfTags = new Map<string, Map<string, string[]>>();
  /** LF-tags defined with CreateLFTag: key → allowed values. */
  private readonly lfTagDefinitions = new Map<string, string[]>();

  constructor(
    private readonly catalog: DataCatalog,
    private readonly account: string,
  ) {}

  /** Forgets every tag and tag definition. */
  clear(): void {
    this.lfTags.clear();
    this.lfTagDefinitions.clear();
  }

  CreateLFTag(input: Record<string, unknown>) {
    const key = str(input, 'TagKey');
    const values = input.TagValues;
    if (!Array.isArray(values) || !values.length || values.some((v) => typeof v !== 'string' || !v))
      throw new ApiError('InvalidInputException', 'TagValues is required (1-1000 values)');
    if (this.lfTagDefinitions.has(key)) throw new ApiError('AlreadyExistsException', `Tag key already exists: ${key}`);
    this.lfTagDefinitions.set(key, [...new Set(values as string[])]);
    return {};
  }

  /**
   * Attaches LF-tags; as in AWS, a tag must have been defined (CreateLFTag) with the value: an
   * undefined key or value is a `Failures` entry (EntityNotFoundException), the others are
   * attached (a key already on the resource gets the new value).
   */
  AddLFTagsToResource(input: Record<string, unknown>) {
    const key = this.lfResource(input);
    const tags = input.LFTags;
    if (!Array.isArray(tags) || !tags.length) throw new ApiError('InvalidInputException', 'LFTags is required');
    const current = this.lfTags.get(key) ?? new Map<string, string[]>();
    const failures: unknown[] = [];
    for (const t of tags as Array<{ TagKey?: unknown; TagValues?: unknown; CatalogId?: string }>) {
      if (typeof t.TagKey !== 'string' || !Array.isArray(t.TagValues) || t.TagValues.length !== 1) {
        throw new ApiError('InvalidInputException', 'each LF-tag needs a TagKey and exactly one value per resource');
      }
      const allowed = this.lfTagDefinitions.get(t.TagKey);
      if (!allowed || !allowed.includes(t.TagValues[0] as string)) {
        failures.push({
          LFTag: { CatalogId: t.CatalogId ?? this.account, TagKey: t.TagKey, TagValues: t.TagValues },
          Error: { ErrorCode: 'EntityNotFoundException', ErrorMessage: 'Tag or tag value does not exist.' },
        });
        continue;
      }
      current.set(t.TagKey, t.TagValues as string[]);
    }
    this.lfTags.set(key, current);
    return { Failures: failures };
  }

  GetResourceLFTags(input: Record<string, unknown>) {
    const key = this.lfResource(input);
    const [db, table] = key.split('/');
    const dbTags = this.lfTags.get(`${db}/`);
    const onTable = this.lfTags.get(key);
    const pairs = (m?: Map<string, string[]>) =>
      [...(m ?? new Map<string, string[]>())].map(([TagKey, TagValues]) => ({
        CatalogId: this.account,
        TagKey,
        TagValues,
      }));
    const columns = [...this.lfTags]
      .filter(([k]) => k.startsWith(`${key}/`))
      .map(([k, m]) => ({ Name: k.split('/')[2], LFTags: pairs(m) }));
    return table
      ? { LFTagOnDatabase: pairs(dbTags), LFTagsOnTable: pairs(onTable), LFTagsOnColumns: columns }
      : { LFTagOnDatabase: pairs(dbTags) };
  }

  private lfResource(input: Record<string, unknown>): string {
    const resource = obj(input.Resource, 'Resource', true)!;
    if (resource.Database !== undefined) {
      const db = String(obj(resource.Database, 'Resource.Database', true)!.Name ?? '').toLowerCase();
      if (!this.catalog.hasDatabase(db)) throw new ApiError('EntityNotFoundException', `Database ${db} not found.`);
      return `${db}/`;
    }
    const tableRef = resource.Table ?? resource.TableWithColumns;
    const table = obj(tableRef, 'Resource.Table', true)!;
    const { db, name } = this.catalog.tableInfo(table);
    if (!this.catalog.hasTable(db, name)) throw new ApiError('EntityNotFoundException', `Table ${name} not found.`);
    if (resource.TableWithColumns !== undefined) {
      const cols = table.ColumnNames;
      if (!Array.isArray(cols) || cols.length !== 1)
        throw new ApiError('InvalidInputException', 'the emulator tags one column per call (ColumnNames of length 1)');
      return `${db}/${name}/${String(cols[0]).toLowerCase()}`;
    }
    return `${db}/${name}`;
  }
}
