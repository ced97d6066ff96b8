# English as the OAS writes it: "June 5, 2007", never Django's AP style ("Sept. 5").
DATE_FORMAT = "F j, Y"
DATETIME_FORMAT = "F j, Y, H:i T"
# Tables with little room: "Jun 5, 2007".
SHORT_DATE_FORMAT = "M j, Y"
YEAR_MONTH_FORMAT = "F Y"
