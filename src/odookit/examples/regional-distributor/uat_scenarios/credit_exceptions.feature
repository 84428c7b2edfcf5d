@sales @credit
Feature: Credit exceptions
  Orders that would take a customer over its credit limit are held at
  confirmation; only the credit controller releases them. Discounts above the
  approval threshold need the sales manager.

  Background:
    Given a storable product "Safety Harness" in category "SAFE" priced at 100.00
    And 500 units of "Safety Harness" are on hand in warehouse "CHI"

  Scenario: An order within the credit limit confirms
    Given a customer "Lakeshore Builders" with a credit limit of 5000
    And I am logged in as the "Sales Representative"
    When I order 10 units of "Safety Harness" for "Lakeshore Builders"
    And I confirm the order
    Then the order is confirmed
    And the order was created by the "Sales Representative"

  Scenario Outline: An order over the credit limit is held
    Given a customer "Lakeshore Builders" <credit>
    And I am logged in as the "Sales Representative"
    When I order <qty> units of "Safety Harness" for "Lakeshore Builders"
    And I try to confirm the order
    Then the confirmation is blocked with a message containing "Credit hold"
    And the order is a quotation

    Examples:
      | credit                           | qty |
      | with a credit limit of 1000      | 20  |
      | in credit segment "CASH"         | 1   |
      | in credit segment "OEM"          | 260 |

  Scenario: The credit controller releases a held order
    Given a customer "Lakeshore Builders" with a credit limit of 1000
    And I am logged in as the "Sales Representative"
    When I order 20 units of "Safety Harness" for "Lakeshore Builders"
    And I try to confirm the order
    Then the confirmation is blocked with a message containing "Credit hold"
    When I log in as the "Credit Controller"
    And I release the credit hold on the order
    Then the order is confirmed

  Scenario: A discount above the threshold needs the sales manager
    Given a customer "Lakeshore Builders" with a credit limit of 50000
    And I am logged in as the "Sales Representative"
    When I order 5 units of "Safety Harness" for "Lakeshore Builders" with a 20% discount
    And I try to confirm the order
    Then the confirmation is blocked with a message containing "Discount approval needed"
    When I log in as the "Sales Manager"
    And I confirm the order
    Then the order is confirmed
    And the order total is 400.00
