# agent (owned by agent/): filled in by its module; see docs/ARCHITECTURE.md.
