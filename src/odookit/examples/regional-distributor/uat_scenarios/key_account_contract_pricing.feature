@client @sales
Feature: Key account contract pricing (Northwind)
  Key accounts buy fasteners on Contract A (12% off) and are invoiced on
  delivery; the Milwaukee branch ships them in two steps.

  Scenario: A key account order on Contract A is invoiced at the contract price
    Given a customer "Badger Conveyor" in credit segment "KEY" on pricelist "CONTRACT_A" and payment terms "NET60"
    And a storable product "Lock Nut M10" in category "FAST" priced at 10.00
    And 100 units of "Lock Nut M10" are on hand in warehouse "MKE"
    And I am logged in as the "Sales Representative"
    When I order 50 units of "Lock Nut M10" for "Badger Conveyor" from warehouse "MKE"
    And I confirm the order
    Then the order total is 440.00
    When I log in as the "Warehouse Operator"
    And I ship the order in full
    And I log in as the "Accountant"
    And I invoice the delivered quantities of the order
    Then the invoice total is 440.00
