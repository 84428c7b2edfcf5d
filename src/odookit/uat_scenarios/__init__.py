"""UAT: Gherkin scenarios in business language, run against a real Odoo, with sign-off evidence."""
