"""Every screen is Danish, whatever language the browser asks for."""

from django.test import Client


def test_english_browser_still_gets_danish(jf_client: Client) -> None:
    response = jf_client.get("/borgere/ny/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'lang="da"' in body
    assert "Select an option" not in body


def test_login_page_is_danish_for_an_english_browser(client: Client, db: None) -> None:
    body = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Brugernavn" in body and "Adgangskode" in body
