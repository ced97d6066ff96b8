# "5 juin 2007"; the first of the month is an ordinal, "1er juin 2008" (mandates/dates.py).
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i T"
SHORT_DATE_FORMAT = DATE_FORMAT
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_MONTH = r"j\e\r"
