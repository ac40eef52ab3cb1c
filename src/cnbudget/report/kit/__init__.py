"""What every rendered file shares: the HTML page shell with its escaping, and the workbook writer."""
