@procurement @resupply
Feature: Branch resupply
  The Milwaukee branch does not buy fasteners: its reorder rule pulls them
  from the Chicago distribution center.

  Scenario: A branch shortfall is resupplied from the distribution center
    Given a storable product "Hex Nut M12" in category "FAST" priced at 0.80
    And 500 units of "Hex Nut M12" are on hand in warehouse "CHI"
    And 10 units of "Hex Nut M12" are on hand in warehouse "MKE"
    And a reorder rule for "Hex Nut M12" in warehouse "MKE" with minimum 50 and maximum 200 resupplied from warehouse "CHI"
    And I am logged in as the "Inventory Manager"
    When I run the scheduler
    Then a transfer of 190 units of "Hex Nut M12" from warehouse "CHI" to warehouse "MKE" is planned
