# "5 de junio de 2007" (months lower-case, as Spanish writes them).
DATE_FORMAT = r"j \d\e F \d\e Y"
DATETIME_FORMAT = r"j \d\e F \d\e Y, H:i T"
# No abbreviated months in Spanish prose: tables show the full date too.
SHORT_DATE_FORMAT = DATE_FORMAT
YEAR_MONTH_FORMAT = r"F \d\e Y"
