//! Stage 4: search indexes (tantivy for the command line, `.js` shards for the browser).
