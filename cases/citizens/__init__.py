"""Citizens: the record, caseloads, plans, conversations, follow-ups and the step
(docs/domain.md)."""
