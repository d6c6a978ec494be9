"""`asrcheck report`: JSON reports read back and rendered for people, spreadsheets and CI."""
