"""Collection: the agency workbooks sent out, and the returned ones read and validated."""
