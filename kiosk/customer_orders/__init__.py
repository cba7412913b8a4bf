"""Customers' orders for pickup and the delivery bike: taking, preparing, paying, erasing."""
