//! Stage 6: write bags to media, read back, verify, repair.
