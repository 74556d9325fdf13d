/** The Glue Data Catalog part of the Glue emulator: databases and tables. */
import { ApiError, obj, str } from './glue-api.js';

/** Databases and tables (names lower-cased, as Glue stores them); methods named after the Glue operation. */
export class DataCatalog {
  /** The operations served. */
  static readonly OPERATIONS = ['CreateDatabase', 'CreateTable', 'GetTable'] as const;

  private readonly databases = new Map<string, Record<string, unknown>>();
  private readonly tables = new Map<string, Record<string, unknown>>();

  /** Forgets every database and table. */
  clear(): void {
    this.databases.clear();
    this.tables.clear();
  }

  hasDatabase(db: string): boolean {
    return this.databases.has(db);
  }

  hasTable(db: string, name: string): boolean {
    return this.tables.has(`${db}/${name}`);
  }

  /** The database and table an input names (lower-cased); the database must exist. */
  tableInfo(input: Record<string, unknown>, key: 'Name' | 'TableName' = 'Name'): { db: string; name: string } {
    const db = str(input, 'DatabaseName');
    const name = str(input, key);
    if (!this.databases.has(db.toLowerCase()))
      throw new ApiError('EntityNotFoundException', `Database ${db} not found.`);
    return { db: db.toLowerCase(), name: name.toLowerCase() };
  }

  CreateDatabase(input: Record<string, unknown>) {
    const db = obj(input.DatabaseInput, 'DatabaseInput', true)!;
    const name = typeof db.Name === 'string' ? db.Name.toLowerCase() : '';
    if (!name) throw new ApiError('InvalidInputException', 'DatabaseInput.Name is required');
    if (this.databases.has(name)) throw new ApiError('AlreadyExistsException', `Database already exists: ${name}`);
    this.databases.set(name, { ...db, Name: name, CreateTime: Date.now() / 1000 }); // awsJson timestamps are epoch seconds
    return {};
  }

  CreateTable(input: Record<string, unknown>) {
    const t = obj(input.TableInput, 'TableInput', true)!;
    if (typeof t.Name !== 'string' || !t.Name)
      throw new ApiError('InvalidInputException', 'TableInput.Name is required');
    const { db, name } = this.tableInfo({ DatabaseName: input.DatabaseName, Name: t.Name });
    if (this.tables.has(`${db}/${name}`))
      throw new ApiError('AlreadyExistsException', `Table already exists: ${db}.${name}`);
    this.tables.set(`${db}/${name}`, {
      ...t,
      Name: name,
      DatabaseName: db,
      VersionId: '0',
      CreateTime: Date.now() / 1000,
    }); // awsJson timestamps are epoch seconds
    return {};
  }

  GetTable(input: Record<string, unknown>) {
    const { db, name } = this.tableInfo(input);
    const t = this.tables.get(`${db}/${name}`);
    if (!t) throw new ApiError('EntityNotFoundException', `Table ${name} not found.`);
    return { Table: t };
  }
}
