"""What a user sees in a real browser: logging in and out, the phone layout, and a refused unit page.

The browser asks for English (locale en-US); the app must answer in Vietnamese all the same.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from awards.models import Unit

pytestmark = pytest.mark.e2e  # the `demo` fixture brings the transactional database the live server needs

LOGIN_PATH = "/accounts/login/"
WRONG_PASSWORD_ERROR = "Sai tên đăng nhập hoặc mật khẩu"
NAVIGATION = ["Trang chủ", "Đợt khen thưởng và báo cáo", "Hồ sơ khen thưởng cần xử lý", "Thông báo", "Đơn vị",
              "Nhật ký hoạt động"]  # fmt: skip
AGENCY_NAVIGATION = [*NAVIGATION[:4], "Thời gian xử lý hồ sơ", *NAVIGATION[4:]]  # agencies also see their times
DENIED = "Bạn không có quyền xem trang này"


def path_is(path: str) -> re.Pattern:
    """The exact URL of path on the live server."""
    return re.compile(r"^https?://[^/]+" + re.escape(path) + "$")


def login(page: Page, username: str, password: str) -> None:
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    page.wait_for_load_state()


def page_width(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def open_login_page(page: Page) -> None:
    response = page.goto(LOGIN_PATH)
    assert response is not None and response.status == 200
    assert page.evaluate("navigator.language") == "en-US"  # the browser really asks for English
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")


# ---------------------------------------------------------------------------------------------------
# 1. Login journey
# ---------------------------------------------------------------------------------------------------

PERSONAS = [
    pytest.param(
        "canbo.bienhoa",
        "Nguyễn Thị Thu Hà",
        "Cán bộ đầu mối · Ủy ban nhân dân phường Trấn Biên",  # moved there with Biên Hòa's files on 01/7/2025
        None,
        id="canbo.bienhoa",
    ),
    pytest.param(
        "congan.phogiamdoc",
        "Lý Văn Phúc",
        "Lãnh đạo Công an tỉnh · Công an tỉnh Đồng Nai",
        "Làm thay Huỳnh Văn Tài",
        id="congan.phogiamdoc",
    ),
]


@pytest.mark.parametrize(("username", "full_name", "role_line", "acting_line"), PERSONAS)
def test_login_journey(page: Page, demo, shot, username, full_name, role_line, acting_line):
    password = demo

    # A wrong password: the Vietnamese error, still on the login page, still logged out.
    open_login_page(page)
    login(page, username, password + "-sai")
    expect(page).to_have_url(path_is(LOGIN_PATH))
    expect(page.get_by_role("alert")).to_contain_text(WRONG_PASSWORD_ERROR)
    expect(page.locator("[data-testid=who]")).to_have_count(0)
    shot(page, f"login-{username}-wrong-password")

    # The right password: the home page greets the user by full name, with role, unit and the menu.
    login(page, username, password)
    expect(page).to_have_url(path_is("/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Xin chào, {full_name}")
    expect(page.locator("[data-testid=who]")).to_contain_text(full_name)
    expect(page.locator("[data-testid=who-role]")).to_have_text(role_line)
    if acting_line:
        expect(page.locator("[data-testid=who-acting]")).to_have_text(acting_line)
    else:
        expect(page.locator("[data-testid=who-acting]")).to_have_count(0)
    nav = page.locator("#sidenav")
    expect(nav).to_be_visible()
    expect(nav.locator(".sidenav__list a")).to_have_text(
        AGENCY_NAVIGATION if username.startswith("congan") else NAVIGATION
    )
    expect(nav.get_by_role("link", name="Trang chủ", exact=True)).to_have_attribute("aria-current", "page")
    expect(page.locator("[data-testid=logout]")).to_have_text("Đăng xuất")
    shot(page, f"login-{username}-home")

    # Log out: back on the login page, and the home page asks for a login again.
    page.locator("[data-testid=logout]").click()
    page.wait_for_load_state()
    expect(page).to_have_url(path_is(LOGIN_PATH))
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    expect(page.locator("[data-testid=who]")).to_have_count(0)
    shot(page, f"login-{username}-logged-out")

    page.goto("/")
    expect(page).to_have_url(path_is(LOGIN_PATH + "?next=/"))
    expect(page.locator("#id_username")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")


# ---------------------------------------------------------------------------------------------------
# 2. Phone width
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("start", "path"), [("home", "/"), ("units", "/units/")])
def test_phone_menu_and_no_horizontal_scroll(phone_page: Page, demo, shot, start, path):
    page = phone_page
    assert page.viewport_size == {"width": 375, "height": 800}

    open_login_page(page)
    assert page_width(page) <= 375, f"login page scrolls sideways: {page_width(page)}px"
    login(page, "canbo.bienhoa", demo)
    expect(page.get_by_role("heading", level=1)).to_have_text("Xin chào, Nguyễn Thị Thu Hà")

    page.goto(path)
    expect(page).to_have_url(path_is(path))
    if start == "units":
        expect(page.locator("[data-testid=unit-table]")).to_be_visible()
        # the ward and, through the 2025 reorganisation's lineage, the city committee whose files it continues
        expect(page.locator("[data-testid=unit-table]")).to_contain_text("Ủy ban nhân dân thành phố Biên Hòa")
    assert page_width(page) <= 375, f"{path} scrolls sideways at 375px: scrollWidth {page_width(page)}px"

    # The navigation is hidden behind the menu button.
    toggle = page.locator("[data-menu-toggle]")
    nav = page.locator("#sidenav")
    units_link = nav.get_by_role("link", name="Đơn vị", exact=True)
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()
    expect(units_link).to_be_hidden()
    shot(page, f"phone-{start}-menu-closed")

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(nav).to_have_class(re.compile(r"\bis-open\b"))
    expect(nav).to_be_visible()
    expect(units_link).to_be_visible()
    assert page_width(page) <= 375, f"{path} with the menu open scrolls sideways: {page_width(page)}px"
    shot(page, f"phone-{start}-menu-open")

    units_link.click()
    page.wait_for_load_state()
    expect(page).to_have_url(path_is("/units/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Đơn vị")
    expect(page.locator("[data-testid=unit-table]")).to_be_visible()
    expect(page.locator("#sidenav")).to_be_hidden()  # a new page starts with the menu closed
    assert page_width(page) <= 375, f"/units/ scrolls sideways at 375px: scrollWidth {page_width(page)}px"
    shot(page, f"phone-{start}-units")


# ---------------------------------------------------------------------------------------------------
# 3. Another unit's page is refused
# ---------------------------------------------------------------------------------------------------


def test_unit_officer_is_refused_another_units_page(page: Page, demo, shot):
    bien_hoa = Unit.objects.get(code="UBND-BH").pk
    own = Unit.objects.get(code="DN-TINNGHIA").pk

    open_login_page(page)
    login(page, "canbo.tinnghia", demo)
    expect(page.get_by_role("heading", level=1)).to_have_text("Xin chào, Phạm Quốc Bảo")

    response = page.goto(f"/units/{bien_hoa}/")
    assert response is not None and response.status == 403
    expect(page.locator("[data-testid=denied]")).to_contain_text(DENIED)
    expect(page.get_by_role("heading", level=1)).to_have_text("Từ chối truy cập")
    expect(page.get_by_text("Ủy ban nhân dân thành phố Biên Hòa")).to_have_count(0)  # nothing of the unit leaks
    expect(page.locator("[data-testid=who]")).to_contain_text("Phạm Quốc Bảo")  # still logged in, in the layout
    shot(page, "denied-canbo.tinnghia-bienhoa-unit")

    response = page.goto(f"/units/{own}/")
    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Tổng Công ty Tín Nghĩa")
    expect(page.locator("[data-testid=denied]")).to_have_count(0)
    expect(page.get_by_text("DN-TINNGHIA", exact=True)).to_be_visible()
    shot(page, "denied-canbo.tinnghia-own-unit")
