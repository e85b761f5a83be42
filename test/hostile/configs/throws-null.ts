// Throws a value that is not an Error.
throw null;
