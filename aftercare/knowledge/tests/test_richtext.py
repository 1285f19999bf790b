"""The article body's sanitiser: only the allowed tags, links made safe, images only from the
app's own image address."""

from django.urls import reverse

from aftercare.knowledge.richtext import IMAGE_URL_PREFIX, image_url, plain_text, sanitize


def test_the_image_address_is_where_the_images_are_served():
    assert reverse("knowledge_images:image", args=[7]) == image_url(7) == f"{IMAGE_URL_PREFIX}7/"


def test_scripts_and_their_content_are_removed():
    cleaned = sanitize(
        "<p>Hi</p><script>alert(1)</script><style>p{}</style><svg><script>x</script>"
    )
    assert cleaned == "<p>Hi</p>"


def test_event_handlers_are_removed():
    cleaned = sanitize(
        '<p onclick="x()">a</p><img src="/help-images/3/" onerror="alert(1)">', image_ids={3}
    )
    assert "onclick" not in cleaned and "onerror" not in cleaned
    assert cleaned == '<p>a</p><img src="/help-images/3/">'


def test_javascript_and_data_urls_are_removed_from_links():
    cleaned = sanitize(
        '<a href="javascript:alert(1)">a</a><a href="JaVaScRiPt:alert(1)">b</a>'
        '<a href="data:text/html,x">c</a>'
    )
    assert "javascript" not in cleaned.lower() and "data:" not in cleaned
    assert cleaned == '<a rel="noopener">a</a><a rel="noopener">b</a><a rel="noopener">c</a>'


def test_links_keep_their_address_and_get_noopener():
    cleaned = sanitize('<a href="https://example.com/x" target="_blank" rel="opener">x</a>')
    assert cleaned == '<a href="https://example.com/x" rel="noopener">x</a>'


def test_images_only_from_the_articles_own_uploads():
    cleaned = sanitize(
        '<img src="https://evil.example/x.png"><img src="/help-images/9/" alt="other">'
        '<img src="/help-images/5/" alt="ours"><img src="//evil.example/help-images/5/">',
        image_ids={5},
    )
    assert cleaned == '<img src="/help-images/5/" alt="ours">'


def test_allowed_structure_is_kept_and_the_rest_unwrapped():
    body = (
        "<h1>Big</h1><h2>Steps</h2><ol><li><strong>One</strong></li><li><em>Two</em></li></ol>"
        '<pre><code>reset</code></pre><blockquote>q</blockquote><table><tr><td colspan="2">c'
        '</td></tr></table><div class="x" style="color:red">text</div><iframe src=x>in</iframe>'
    )
    assert sanitize(body) == (
        "Big<h2>Steps</h2><ol><li><strong>One</strong></li><li><em>Two</em></li></ol>"
        '<pre><code>reset</code></pre><blockquote>q</blockquote><table><tbody><tr><td colspan="2">'
        "c</td></tr></tbody></table>text"
    )


def test_plain_text_keeps_words_apart_and_decodes_entities():
    assert plain_text("<p>Tom&amp;Jerry</p><p>کولر&nbsp;گازی</p>") == "Tom&Jerry کولر گازی"
