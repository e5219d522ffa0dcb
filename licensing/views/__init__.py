"""The two faces of the licensing process: the applicant's (``applicant``) and the regulator's (``staff``)."""
