// Throws an object whose toString throws.
throw Object.create(null);
