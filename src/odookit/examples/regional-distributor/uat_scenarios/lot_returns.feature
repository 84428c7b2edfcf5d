@returns @lots
Feature: Returns of lot-tracked goods
  Hydraulic hoses are lot-tracked. When part of a shipped lot comes back, it
  waits in quarantine and the customer is credited for what was invoiced.

  Scenario: Part of a shipped lot comes back into quarantine and is credited
    Given a customer "Great Lakes Hydraulics" with payment terms "NET30"
    And a storable product "Hydraulic Hose 1/2in" in category "HYD" priced at 40.00
    And 30 units of "Hydraulic Hose 1/2in" are on hand in warehouse "CHI" in lot "H-2611"
    And a quarantine location "Hose Quarantine" in warehouse "CHI"
    And I am logged in as the "Sales Representative"
    When I order 12 units of "Hydraulic Hose 1/2in" for "Great Lakes Hydraulics" from warehouse "CHI"
    And I confirm the order
    And I log in as the "Warehouse Operator"
    And I ship the order in full
    And I log in as the "Accountant"
    And I invoice the delivered quantities of the order
    Then the invoice total is 480.00
    When I log in as the "Warehouse Operator"
    And I return 2 units of "Hydraulic Hose 1/2in" from the delivery with reason "Burst under test pressure"
    And I receive the return into location "Hose Quarantine"
    Then the stock of "Hydraulic Hose 1/2in" in location "Hose Quarantine" is 2
    And the stock of "Hydraulic Hose 1/2in" in warehouse "CHI" is 20
    And the delivered quantity of "Hydraulic Hose 1/2in" on the order is 10
    And the return was last changed by the "Warehouse Operator"
    When I log in as the "Accountant"
    And I issue the credit note for the return
    Then the credit note total is 80.00
    And the credit note is for 2 units of "Hydraulic Hose 1/2in"
    And the customer "Great Lakes Hydraulics" has an open balance of 400.00
