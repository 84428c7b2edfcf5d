@warehouse @backorders
Feature: Backorders
  When stock runs short, the warehouse ships what it has and either keeps the
  rest open as a backorder or cancels it, as agreed with the customer.

  Background:
    Given a customer "Great Lakes Mining"
    And a storable product "Hex Bolt M8" in category "FAST" priced at 2.50

  Scenario: A short pick in the pick-pack-ship warehouse leaves a backorder for the rest
    Given 30 units of "Hex Bolt M8" are on hand in warehouse "CHI"
    And I am logged in as the "Sales Representative"
    When I order 50 units of "Hex Bolt M8" for "Great Lakes Mining" from warehouse "CHI"
    And I confirm the order
    Then the order is confirmed
    When I log in as the "Warehouse Operator"
    And I process 30 units of "Hex Bolt M8" on the pick of the order and create the backorder
    Then a backorder for 20 units of "Hex Bolt M8" is open on the pick
    And the pick was last changed by the "Warehouse Operator"
    When I process the pack of the order in full
    And I process the delivery of the order in full
    Then the order's delivery takes 3 steps
    And the delivered quantity of "Hex Bolt M8" on the order is 30

  Scenario: Declining the backorder cancels the rest of the order's delivery
    Given 30 units of "Hex Bolt M8" are on hand in warehouse "MKE"
    And I am logged in as the "Sales Representative"
    When I order 40 units of "Hex Bolt M8" for "Great Lakes Mining" from warehouse "MKE"
    And I confirm the order
    And I log in as the "Warehouse Operator"
    And I process 30 units of "Hex Bolt M8" on the pick of the order and decline the backorder
    And I ship the order in full
    Then no backorder is open
    And the order's delivery takes 2 steps
    And the delivered quantity of "Hex Bolt M8" on the order is 30

  Scenario: The backorder ships when the stock arrives
    Given 10 units of "Hex Bolt M8" are on hand in warehouse "MKE"
    And I am logged in as the "Sales Representative"
    When I order 25 units of "Hex Bolt M8" for "Great Lakes Mining" from warehouse "MKE"
    And I confirm the order
    And I log in as the "Warehouse Operator"
    And I process 10 units of "Hex Bolt M8" on the pick of the order and create the backorder
    And I process the delivery of the order in full
    Then a backorder for 15 units of "Hex Bolt M8" is open on the pick
    Given 15 units of "Hex Bolt M8" are on hand in warehouse "MKE"
    When I reserve the order
    And I ship the order in full
    Then no backorder is open
    And the delivered quantity of "Hex Bolt M8" on the order is 25
