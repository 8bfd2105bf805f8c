# cluster (owned by cluster/): filled in by its module; see docs/ARCHITECTURE.md.
