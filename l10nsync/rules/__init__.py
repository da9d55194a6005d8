"""Pure deciders on plain records: no git calls and no printing here."""
