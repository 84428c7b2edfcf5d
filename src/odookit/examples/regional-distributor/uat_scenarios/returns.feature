@returns
Feature: Customer returns
  Customers return part of a delivery with a reason; the goods come back into
  stock or into quarantine, and the customer gets a credit note for what was
  already invoiced.

  Background:
    Given a customer "Twin Cities Fabrication"
    And a storable product "Ball Bearing 6204" in category "FAST" priced at 5.00
    And 50 units of "Ball Bearing 6204" are on hand in warehouse "MKE"
    And I am logged in as the "Sales Representative"
    And I order 20 units of "Ball Bearing 6204" for "Twin Cities Fabrication" from warehouse "MKE"
    And I confirm the order
    And I log in as the "Warehouse Operator"
    And I ship the order in full

  Scenario: A damaged part is returned into stock
    When I return 4 units of "Ball Bearing 6204" from the delivery with reason "Damaged in transit"
    And I receive the return into stock
    Then the delivered quantity of "Ball Bearing 6204" on the order is 16
    And the stock of "Ball Bearing 6204" in warehouse "MKE" is 34
    And the return was last changed by the "Warehouse Operator"

  Scenario: A suspect part is returned into quarantine
    Given a quarantine location "Returns Quarantine" in warehouse "MKE"
    When I return 3 units of "Ball Bearing 6204" from the delivery with reason "Suspected defect"
    And I receive the return into location "Returns Quarantine"
    Then the stock of "Ball Bearing 6204" in location "Returns Quarantine" is 3
    And the delivered quantity of "Ball Bearing 6204" on the order is 17

  Scenario Outline: A return after invoicing is credited
    Given I log in as the "Accountant"
    And I invoice the delivered quantities of the order
    And I log in as the "Warehouse Operator"
    When I return <returned> units of "Ball Bearing 6204" from the delivery with reason "<reason>"
    And I receive the return into stock
    And I log in as the "Accountant"
    And I issue the credit note for the return
    Then the credit note total is <credited>
    And the credit note is for <returned> units of "Ball Bearing 6204"
    And the customer "Twin Cities Fabrication" has an open balance of <balance>

    Examples:
      | returned | reason          | credited | balance |
      | 5        | Wrong size      | 25.00    | 75.00   |
      | 20       | Order cancelled | 100.00   | 0.00    |
