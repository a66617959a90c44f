/** A PostgreSQL connection string (postgres:// or postgresql://), rather than a file path. */
export const isPostgresUrl = (db: string) => /^postgres(ql)?:\/\//i.test(db)
