"""The fieldwork of a wave: frame, sample, personal codes, letters, e-mails, returns, rates.

Modules, one concept each (import them directly; this package imports nothing eagerly so
that the CLI stays quick to start):

- `frame` (with `sirene`): the sampling frame from INSEE's SIRENE stock, filters, bad rows;
- `sampling`: stratified SRSWOR, allocations, inclusion probabilities and design weights;
- `codes`: link tokens and typable short codes with a check character;
- `letters`: the PDF mail merge; `mailing`: SMTP invitations, reminders and their policy;
- `dispositions` and `aapor`: AAPOR final dispositions and outcome rates;
- `paper`: keyed paper questionnaires checked against the questionnaire;
- `storage`: the thin adapter to `barometre.store` used by the CLI.
"""
