@warehouse @invoicing @partial
Feature: Partial shipments
  Orders ship in parts when stock is short; the customer is invoiced only for
  what was delivered, and the rest follows on a backorder.

  Background:
    Given a customer "Prairie Hydraulics" on pricelist "LIST" and payment terms "NET30"
    And a storable product "Flange Gasket" in category "SAFE" priced at 4.00
    And a storable product "Gasket Kit" in category "SAFE" priced at 4.00

  Scenario Outline: Only the delivered quantity is invoiced
    Given <stock> units of "Flange Gasket" are on hand in warehouse "MKE"
    And I am logged in as the "Sales Representative"
    When I order <ordered> units of "Flange Gasket" for "Prairie Hydraulics" at <price> from warehouse "MKE"
    And I confirm the order
    And I log in as the "Warehouse Operator"
    And I process <stock> units of "Flange Gasket" on the pick of the order and create the backorder
    And I process the delivery of the order in full
    Then the delivered quantity of "Flange Gasket" on the order is <stock>
    And a backorder for <rest> units of "Flange Gasket" is open on the pick
    When I log in as the "Accountant"
    And I invoice the delivered quantities of the order
    Then the invoice is for <stock> units of "Flange Gasket"
    And the invoice total is <invoiced>
    And the customer "Prairie Hydraulics" has an open balance of <invoiced>

    Examples:
      | ordered | stock | rest | price | invoiced |
      | 100     | 40    | 60   | 2.50  | 100.00   |
      | 10      | 7     | 3    | 12.00 | 84.00    |
      | 60      | 59    | 1    | 1.00  | 59.00    |

  Scenario: A partial pick-pack-ship delivery keeps the rest on backorder at the pick
    Given 12 units of "Flange Gasket" are on hand in warehouse "CHI"
    And I am logged in as the "Sales Representative"
    When I order 20 units of "Flange Gasket" for "Prairie Hydraulics" from warehouse "CHI"
    And I confirm the order
    And I log in as the "Warehouse Operator"
    And I process 12 units of "Flange Gasket" on the pick of the order and create the backorder
    And I process the pack of the order in full
    And I process the delivery of the order in full
    Then the delivered quantity of "Flange Gasket" on the order is 12
    And a backorder for 8 units of "Flange Gasket" is open on the pick
    And the stock of "Flange Gasket" in warehouse "CHI" is 0

  Scenario: A product out of stock is substituted before shipping
    Given 30 units of "Gasket Kit" are on hand in warehouse "MKE"
    And I am logged in as the "Sales Representative"
    When I order 30 units of "Flange Gasket" for "Prairie Hydraulics" from warehouse "MKE"
    And I confirm the order
    And I substitute "Flange Gasket" with "Gasket Kit" on the order
    And I log in as the "Warehouse Operator"
    And I ship the order in full
    Then the delivered quantity of "Gasket Kit" on the order is 30
    And the delivered quantity of "Flange Gasket" on the order is 0
    And no backorder is open
