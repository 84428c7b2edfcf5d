@procurement @approvals
Feature: Purchase approvals and replenishment
  Reorder rules turn shortfalls into requests for quotation from the right
  supplier; purchases above the company's threshold wait for the purchase
  manager; receipts may come in late or short.

  Background:
    Given a storable product "Hydraulic Hose" in category "FAST" priced at 180.00 costing 100.00
    And a supplier "Midwest Hydraulics" selling "Hydraulic Hose" at 100.00 with a lead time of 5 days

  Scenario Outline: The buyer's order is approved or waits depending on its amount
    Given I am logged in as the "Buyer"
    When I create a purchase order from "Midwest Hydraulics" for <qty> units of "Hydraulic Hose" at 100.00 for warehouse "CHI"
    And I confirm the purchase order
    Then the purchase order is <state>

    Examples:
      | qty | state                |
      | 40  | confirmed            |
      | 60  | waiting for approval |

  Scenario: Only the purchase manager approves above the threshold
    Given I am logged in as the "Buyer"
    When I create a purchase order from "Midwest Hydraulics" for 80 units of "Hydraulic Hose" at 100.00 for warehouse "CHI"
    And I confirm the purchase order
    And I try to approve the purchase order
    Then the approval is refused
    And the purchase order is waiting for approval
    When I log in as the "Purchase Manager"
    And I approve the purchase order
    Then the purchase order is confirmed

  Scenario: The scheduler buys the shortfall from the supplier and it is received through every step
    Given a reorder rule for "Hydraulic Hose" in warehouse "CHI" with minimum 20 and maximum 45
    And I am logged in as the "Inventory Manager"
    When I run the scheduler
    Then a request for quotation to "Midwest Hydraulics" is created for 45 units of "Hydraulic Hose"
    When I log in as the "Buyer"
    And I confirm the purchase order
    Then the purchase order is confirmed
    When I log in as the "Warehouse Operator"
    And I receive the purchase order in full
    Then the stock of "Hydraulic Hose" in warehouse "CHI" is 45
    And the received quantity of "Hydraulic Hose" on the purchase order is 45

  Scenario: A late and short delivery from the supplier
    Given I am logged in as the "Buyer"
    When I create a purchase order from "Midwest Hydraulics" for 30 units of "Hydraulic Hose" at 100.00 for warehouse "MKE"
    And I confirm the purchase order
    And the goods of the purchase order are 3 days late
    And I log in as the "Warehouse Operator"
    And I receive 18 units of "Hydraulic Hose" on the purchase order and create the backorder
    Then the received quantity of "Hydraulic Hose" on the purchase order is 18
    And the purchase order was received at least 3 days late
