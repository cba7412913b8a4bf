"""The ESC/POS receipt-printer layer: plain receipt data in, bytes to a printer out.

No Flask and no models here (imports flow admin → kiosk → printers). Built in issue #4.
"""
