"""Directory of legal service institutions and practitioners, with public credit records (F11, F12).

models/choices: Institution, Practitioner, CreditRecord and their vocabularies; validators: credit
code (GB 32100-2015) and licence formats; services: validated, audited, region-checked writes;
selectors: public search (filters, nearest) and region-scoped staff lists; api: public and staff
endpoints at /api/directory/; views: /directory/ search, details, map, credit disclosure;
demo: generated Zhengzhou directory; importer + ``fawang import-directory``: CSV, all or nothing.
"""
