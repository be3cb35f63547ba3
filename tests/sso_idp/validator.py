"""Claims of the test provider: a person's e-mail, verified unless their last name says
"unverified" (a test sets it to see an unverified address refused)."""

from oauth2_provider.oauth2_validators import OAuth2Validator


class Validator(OAuth2Validator):
    def get_additional_claims(self, request):
        user = request.user
        return {
            "email": user.email,
            "email_verified": user.last_name != "unverified",
            "name": user.first_name,
        }
