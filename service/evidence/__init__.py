"""From a case's screened pages to the evidence a letter may cite: sentences scored against each
requirement, counter-evidence set aside, quotes picked (`selection.select_evidence`)."""
