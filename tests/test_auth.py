"""Login, lockout, sessions, password change and reset: what a user sees."""

import re

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.utils import timezone

from awards import services
from awards.middleware import SESSION_STARTED
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def login(client: Client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR="10.1.1.1")


def test_wrong_password_shows_a_vietnamese_error_and_keeps_the_user_out(org):
    client = Client()
    response = login(client, "officer_a", "sai-mat-khau")
    assert response.status_code == 200
    assert "Sai tên đăng nhập hoặc mật khẩu" in response.content.decode()
    assert client.get("/").status_code == 302


def test_right_password_opens_the_home_page_with_unit_and_role(org):
    client = Client()
    response = login(client, "officer_a", PASSWORD)
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert "Xin chào, Người dùng officer_a" in page
    assert "Cán bộ đầu mối · Công ty Cổ phần An Bình" in page


def test_five_failures_lock_the_account_even_for_the_right_password(org):
    client = Client()
    for _ in range(5):
        login(client, "officer_a", "sai-mat-khau")
    response = login(client, "officer_a", PASSWORD)
    assert response.status_code == 429
    assert "Tài khoản tạm thời bị khóa" in response.content.decode()
    assert client.get("/").status_code == 302
    # Another user on the same machine is not locked out by someone else's failures.
    assert login(Client(), "officer_b", PASSWORD).status_code == 302


def test_an_idle_session_expires_and_login_brings_the_user_back(org):
    client = Client()
    login(client, "officer_a", PASSWORD)
    Session.objects.update(expire_date=timezone.now() - timezone.timedelta(seconds=1))
    response = client.get("/units/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/units/"
    page = client.get(response["Location"]).content.decode()
    assert "phiên làm việc có thể đã hết hạn" in page
    back = client.post(response["Location"], {"username": "officer_a", "password": PASSWORD, "next": "/units/"})
    assert back["Location"] == "/units/"


def test_a_session_older_than_12_hours_is_ended_even_when_active(org):
    client = Client()
    login(client, "officer_a", PASSWORD)
    session = client.session
    session[SESSION_STARTED] = timezone.now().timestamp() - 12 * 3600 - 60
    session.save()
    response = client.get("/", follow=True)
    assert response.redirect_chain[0] == ("/accounts/login/?next=/", 302)
    assert "Phiên làm việc đã quá 12 giờ" in response.content.decode()


def test_deactivating_a_user_ends_their_open_sessions(org):
    client = Client()
    login(client, "officer_a", PASSWORD)
    assert client.get("/").status_code == 200
    services.user_deactivate(by=org.actor("admin"), user=org.users["officer_a"])
    assert client.get("/").status_code == 302
    assert not [
        s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(org.users["officer_a"].pk)
    ]
    # A deactivated account gets the same answer as a wrong password: nothing is revealed.
    assert "Sai tên đăng nhập hoặc mật khẩu" in login(Client(), "officer_a", PASSWORD).content.decode()


def test_deactivation_in_the_admin_ends_the_sessions_and_is_audited(org):
    victim = Client()
    login(victim, "officer_b", PASSWORD)
    admin = org.client("admin")
    user = org.users["officer_b"]
    response = admin.post(
        f"/admin/awards/user/{user.pk}/change/",
        {
            "username": user.username, "full_name": user.full_name, "email": user.email, "is_staff": "",
            "last_login_0": "", "last_login_1": "", "date_joined_0": "01/01/2024", "date_joined_1": "08:00:00",
            "memberships-TOTAL_FORMS": "1", "memberships-INITIAL_FORMS": "1",
            "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "0",
            "memberships-0-id": org.memberships["officer_b"].pk, "memberships-0-user": user.pk,
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    assert victim.get("/").status_code == 302
    event = user.audit_events.none().model.objects.get(action="user_deactivated", object_id=str(user.pk))
    assert event.actor == org.users["admin"]


def test_session_of_a_user_deactivated_behind_our_back_is_flushed(org):
    client = Client()
    login(client, "officer_a", PASSWORD)
    type(org.users["officer_a"]).objects.filter(username="officer_a").update(is_active=False)
    assert client.get("/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_logout_ends_the_session(org):
    client = Client()
    login(client, "officer_a", PASSWORD)
    assert client.post("/accounts/logout/")["Location"] == "/accounts/login/"
    assert client.get("/").status_code == 302


def test_password_change_requires_the_old_password(org):
    client = org.client("officer_a")
    response = client.post(
        "/accounts/password_change/",
        {"old_password": "khong-dung", "new_password1": "Mat-khau-moi-2025!", "new_password2": "Mat-khau-moi-2025!"},
    )
    assert response.status_code == 200
    assert "Mật khẩu cũ không chính xác" in response.content.decode()
    response = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": "Mat-khau-moi-2025!", "new_password2": "Mat-khau-moi-2025!"},
    )
    assert response["Location"] == "/accounts/password_change/done/"
    assert login(Client(), "officer_a", "Mat-khau-moi-2025!").status_code == 302


def test_password_reset_by_email_sets_a_new_password(org):
    client = Client()
    response = client.post("/accounts/password_reset/", {"email": "officer_a@tdkt.example"})
    assert response["Location"] == "/accounts/password_reset/done/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "TĐKT: đặt lại mật khẩu"
    assert "Kính gửi Người dùng officer_a" in message.body
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)
    form_url = client.get(link)["Location"]
    response = client.post(form_url, {"new_password1": "Mat-khau-moi-2025!", "new_password2": "Mat-khau-moi-2025!"})
    assert response["Location"] == "/accounts/reset/done/"
    assert login(Client(), "officer_a", "Mat-khau-moi-2025!").status_code == 302
    assert login(Client(), "officer_b", "Mat-khau-moi-2025!").status_code == 200


def test_password_reset_for_an_unknown_address_sends_nothing_and_reveals_nothing(org):
    response = Client().post("/accounts/password_reset/", {"email": "nobody@tdkt.example"})
    assert response["Location"] == "/accounts/password_reset/done/"
    assert mail.outbox == []


def test_the_interface_stays_vietnamese_for_an_english_browser_until_english_is_chosen(org):
    client = org.client("officer_a")
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Đơn vị của tôi" in page
    assert '<html lang="vi">' in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert "My unit" in page
